"""Files shipped with the app (default codebook, demo articles), installed as annotator.resources."""
