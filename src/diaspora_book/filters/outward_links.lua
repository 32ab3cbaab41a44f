--[[
Only http(s) and mailto links leave the book, and only valid URLs.

A link can reach the manuscript from the bibliography (citeproc renders a `url`
field, or a `\href{...}{...}` in a title, as a link) and from a project's template.
A `file:`, `javascript:` or `data:` link, or a relative path, would be a live link
in the PDF and the EPUB to something that is not the book's to offer: it is
replaced by its text, so the reader still sees what the source said. Links inside
the book (`#id`) stay. This filter runs after citeproc.

The converter makes every link of an article and of its references a valid URL
(plumbing/urls.py: escapes, punycode hosts). A link from a curated references.bib
or a template is made one here as far as a filter can: what RFC 3986 does not
allow (a space, `<`, `|`, a letter outside ASCII, as UTF-8) and a second `#` are
percent-encoded; one that has no host (`http://`) or a broken escape is printed as
its text.
--]]

local leaves_the_book = { http = true, https = true, mailto = true }

local function escape_byte(c)
  return string.format("%%%02X", c:byte())
end

-- The target as a valid URL, or nil.
local function valid_url(target)
  local before, after = target:match("^([^#]*#)(.*)$")
  if after then
    target = before .. after:gsub("#", "%%23")
  end
  target = target:gsub("[^%w%-%._~:/%?#%[%]@!%$&'%(%)%*%+,;=%%]", escape_byte)
  if target:find("%%[^%x]") or target:find("%%%x[^%x]") or target:find("%%%x?$") then
    return nil
  end
  local scheme = target:match("^([%a][%w+.-]*):")
  if scheme:lower() ~= "mailto" and not target:match("^[%a][%w+.-]*://[^/?#:@]") then
    return nil
  end
  return target
end

function Link(link)
  local target = link.target
  if target:sub(1, 1) == "#" then
    return nil
  end
  local scheme = target:match("^([%a][%w+.-]*):")
  local url = scheme and leaves_the_book[scheme:lower()] and valid_url(target)
  if url then
    link.target = url
    return link
  end
  return link.content
end
