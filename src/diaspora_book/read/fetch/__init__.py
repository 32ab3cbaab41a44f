"""Where articles come from: a wiki's Action API -> `articles/`, `media/`, `articles.lock`."""
