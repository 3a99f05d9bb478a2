"""The reader's widgets and screens, one module each."""
