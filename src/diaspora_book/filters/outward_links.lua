--[[
Only http(s) and mailto links leave the book.

A link can reach the manuscript from the bibliography (citeproc renders a `url`
field, or a `\href{...}{...}` in a title, as a link) and from a project's template.
A `file:`, `javascript:` or `data:` link, or a relative path, would be a live link
in the PDF and the EPUB to something that is not the book's to offer: it is
replaced by its text, so the reader still sees what the source said. Links inside
the book (`#id`) stay. This filter runs after citeproc.
--]]

local leaves_the_book = { http = true, https = true, mailto = true }

function Link(link)
  local target = link.target
  if target:sub(1, 1) == "#" then
    return nil
  end
  local scheme = target:match("^([%a][%w+.-]*):")
  if scheme and leaves_the_book[scheme:lower()] then
    return nil
  end
  return link.content
end
