"""The build: find the sources, read them (cached, in parallel), give notes their identity and
stamps, and write the packages."""
