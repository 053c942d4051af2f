"""Inter-coder agreement, the pure part: how coders' codings become units and values.

``units`` matches entities and claims across coders, ``tokens`` cuts a text into the tokens
the entity alpha is computed over, ``values`` turns matched claims into one row of values per
unit and variable, and ``report`` holds the figures as plain values. The statistics
themselves (Krippendorff's alpha, kappas, the bootstrap) are computed in
``annotator.services.agreement`` with numpy and the ``krippendorff`` package.
"""
