"""Exercise checks, one module per notebook (``ex00`` ... ``ex08``)."""
