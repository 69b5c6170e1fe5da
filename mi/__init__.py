from mi.memory import arenas_from_environment, limit_arenas

limit_arenas(arenas_from_environment())
