"""The Codes tab: the open document's QDA codings (the code layer, issue 13)."""
