"""Run modes: the command line, Socket Mode and HTTP servers, the demo and the console."""
