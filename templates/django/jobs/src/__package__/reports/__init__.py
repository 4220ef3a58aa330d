"""Sales, and the sales reports a background job builds from them."""
