"""Annotated data of other tools, in and out (issue 13): one codec module per format.

The codecs are pure: files <-> :class:`ForeignDocument` values with code-point offsets;
where the documents and spans land is the business of ``annotator.services.interchange_*``.
"""
