"""The pages' content, one module per page, each with a render() the thin script in pages/ calls."""
