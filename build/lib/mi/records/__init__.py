"""The ground floor: the typed records every layer passes (documents, series and
observations, book rows, products, competitor offers, field notes, channel configuration,
what one payload yielded).

Plain frozen dataclasses and the few pure functions that define their identity; nothing
here imports from the floors above (sources, transport, warehouse, analysis, Prefect).
"""
