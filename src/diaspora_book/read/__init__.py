"""Read: where articles come from (plain wiki-text, MediaWiki wikitext and
Special:Export) -> `model.Article`, every block with its `path:line`."""
