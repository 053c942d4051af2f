"""File -> Import Annotations: other tools' annotated files (brat, doccano, ...) into a layer."""
