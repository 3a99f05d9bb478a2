"""What River learns from the reader's decisions: a model of what they keep, and why.

No SQL and no Textual: the store hands over the papers and their labels, the model scores
papers and explains each score. Importing it loads scikit-learn (a seam: tests/test_layers.py),
so the reader's first screen never does."""
