"""The print edition laid out in parts on several cores: cut, laid out, joined."""
