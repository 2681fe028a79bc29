# cli: owned by the cli stage
