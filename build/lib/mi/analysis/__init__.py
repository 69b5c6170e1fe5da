"""Analysis of gathered material: series statistics, anomalies and forecasts."""
