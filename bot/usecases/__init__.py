"""Use cases: what journeybot does for a request, calling flows/, storage/ and renderers/."""
