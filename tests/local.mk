# tests: owned by the tests stage
