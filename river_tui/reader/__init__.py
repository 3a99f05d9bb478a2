"""The reader without Textual: what the reader shows and decides, and the work behind it.

The screens in ``river_tui.ui`` draw this state and forward keys to it; nothing here imports
Textual (``tests/test_layers.py``)."""
