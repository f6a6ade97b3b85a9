"""Contract suite for ModelArts "terminate a training job", and a local emulator of the service."""
