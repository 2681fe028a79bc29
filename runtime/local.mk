# runtime: owned by the runtime stage
