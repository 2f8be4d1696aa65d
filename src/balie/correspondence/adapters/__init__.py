"""The external systems the post register sends to: the eBox (`ebox`, with its demo `demo_ebox`)."""
