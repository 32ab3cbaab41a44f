--[[
Give every block of the book a stable id, the same in the print HTML and in the EPUB.

The EPUB marks where each printed page begins (its page list); to find those places
it needs ids that WeasyPrint reports on pages of the PDF and that pandoc's EPUB
writer keeps. Both outputs run this filter on the same chapter Markdown, so the
numbering agrees.

Ids are `<chapter-id>_p<N>`: N counts the blocks of the chapter (the level-1
heading above them) in reading order. Slugs never contain `_`, so these ids cannot
collide with heading ids. Paragraphs have no attributes in pandoc's document model,
so a paragraph (or list item, or term) gets an empty span with the id as its first
inline; elements that have attributes and no id get the id themselves.
--]]

local chapter = "front"
local count = 0

local function next_id()
  count = count + 1
  return chapter .. "_p" .. count
end

local function mark(inlines)
  inlines:insert(1, pandoc.Span({}, { id = next_id() }))
end

local number_blocks

local function number_block(block)
  local t = block.t
  if t == "Header" then
    if block.level == 1 and block.identifier ~= "" then
      chapter = block.identifier
      count = 0
    elseif block.identifier == "" then
      block.identifier = next_id()
    end
  elseif t == "Para" or t == "Plain" then
    mark(block.content)
  elseif t == "LineBlock" then
    for _, line in ipairs(block.content) do
      mark(line)
    end
  elseif t == "CodeBlock" or t == "Table" or t == "Figure" then
    if block.identifier == "" then
      block.identifier = next_id()
    end
  elseif t == "Div" or t == "BlockQuote" then
    number_blocks(block.content)
  elseif t == "BulletList" or t == "OrderedList" then
    for _, item in ipairs(block.content) do
      number_blocks(item)
    end
  elseif t == "DefinitionList" then
    -- The term marks the entry. Definitions are left alone: an empty span at the
    -- start of a <dd> moves WeasyPrint's line breaks in the Glossary.
    for _, entry in ipairs(block.content) do
      mark(entry[1])
    end
  end
end

number_blocks = function(blocks)
  for _, block in ipairs(blocks) do
    number_block(block)
  end
end

function Pandoc(doc)
  number_blocks(doc.blocks)
  return doc
end
