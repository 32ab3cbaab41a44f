--[[
The print edition's title page: the book's title is a heading (H1 in the tagged
PDF), so a screen reader announces it and lists it with the other headings.

The manuscript writes the title as a `book-title` div inside the `titlepage` div.
pandoc would wrap a heading in a section of its own (--section-divs), which the
print design keeps for chapters, so the heading is written here as raw HTML
around pandoc's own HTML for the title's inlines (escaped as any other text).
print.css keeps it out of the bookmarks, which start at the contents.
--]]

local function title_heading(div)
  if not div.classes:includes("book-title") or #div.content ~= 1 then
    return nil
  end
  local para, id = div.content[1], nil
  if para.t == "Div" and para.classes:includes("block-id") and #para.content == 1 then
    id, para = para.identifier, para.content[1] -- block_ids.lua's wrapper: its id is the heading's
  end
  if para.t ~= "Para" and para.t ~= "Plain" then
    return nil
  end
  local inner = pandoc.write(pandoc.Pandoc({ pandoc.Plain(para.content) }), "html5")
  local open = id and ('<h1 id="' .. id .. '" class="book-title">') or '<h1 class="book-title">'
  return pandoc.RawBlock("html", open .. inner .. "</h1>")
end

function Div(div)
  if div.identifier ~= "titlepage" then
    return nil
  end
  div.content = div.content:map(function(block)
    if block.t == "Div" then
      return title_heading(block) or block
    end
    return block
  end)
  return div
end
