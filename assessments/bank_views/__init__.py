"""The content team's question banks in the web: the bank page (questions filtered,
categories as a tree), the question editor with its live preview, and the actions
of the draft → review → publish workflow. Thin: selectors read, services write."""
