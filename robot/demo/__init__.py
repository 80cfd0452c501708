"""`robot demo`: the whole robot on embedded mail servers, with realistic school mail, in one command."""
