# bench: owned by the bench stage
