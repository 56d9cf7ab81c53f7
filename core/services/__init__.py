"""Service functions, named for what the user does. Doors call these and nothing deeper."""
