"""Reading MediaWiki input: raw wikitext (`.wiki`) and Special:Export files (`.xml`)."""
