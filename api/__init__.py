"""notecode's front doors: the Python entry point, the `notecode` CLI, batch runs and (later) HTTP."""
