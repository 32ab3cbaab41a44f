"""Files for print-on-demand shops (KDP, IngramSpark, Lulu): the interior and the cover."""
