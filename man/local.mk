# man: owned by the man stage
