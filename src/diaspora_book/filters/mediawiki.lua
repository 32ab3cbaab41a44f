--[[
Turn the MediaWiki constructs convert writes as fenced divs and spans into pandoc's
own elements, the same for the print HTML and the EPUB:

- `::::: {.mw-table}` with `.mw-caption`, `.mw-row` and `.mw-cell` (`.mw-th`,
  `colspan`, `rowspan`) divs -> a real Table: header rows (all header cells) in the
  head, cell spans kept. pandoc's Markdown tables cannot hold spans or lists.
- `[TeX]{.math-tex}` -> Math (display math inside a `.math-display` div). The TeX
  arrives as escaped text, so it is read back with stringify: it is never raw TeX
  in the output, but MathML (`--mathml`).
- An explanatory note (`^[...]`, from `<ref group="note">` and `{{efn}}`): in the
  print edition (html5) a `.footnote` span that the print stylesheet floats to the
  foot of its page; the EPUB keeps pandoc's own footnote (a popup note). The print
  edition's manuscript read into pandoc's JSON (`render/kept_html.py`) says it is
  one with the metadata `print-notes`.
- A code block with `data-lang-runs` ("start:end:lang:dir;...", UTF-8 byte ranges
  of runs in another script) -> the same `<pre class="code">`, written here with a
  `lang` span around each run, its text escaped.
--]]

local function escape_html(text)
  return (text:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"))
end

local function code_with_languages(block)
  local runs = block.attributes["data-lang-runs"]
  if not runs or not block.classes:includes("code") then
    return nil
  end
  local text, parts, at = block.text, {}, 0
  for first, last, lang, dir in runs:gmatch("(%d+):(%d+):([%w%-]+):(%a*)") do
    first, last = tonumber(first), tonumber(last)
    if first >= at and last <= #text then
      table.insert(parts, escape_html(text:sub(at + 1, first)))
      local direction = dir ~= "" and (' dir="' .. dir .. '"') or ""
      table.insert(parts, '<span lang="' .. lang .. '"' .. direction .. ">"
        .. escape_html(text:sub(first + 1, last)) .. "</span>")
      at = last
    end
  end
  table.insert(parts, escape_html(text:sub(at + 1)))
  return pandoc.RawBlock("html", '<pre class="code"><code>' .. table.concat(parts) .. "</code></pre>")
end

local function has(el, class)
  return el.classes and el.classes:includes(class)
end

local function cell_blocks(div)
  -- A cell of one paragraph holds just its text (no paragraph spacing in the cell).
  if #div.content == 1 and div.content[1].t == "Para" then
    return { pandoc.Plain(div.content[1].content) }
  end
  return div.content
end

local function make_cell(div)
  local colspan = tonumber(div.attributes["colspan"]) or 1
  local rowspan = tonumber(div.attributes["rowspan"]) or 1
  local c = pandoc.Cell(cell_blocks(div), pandoc.AlignDefault, rowspan, colspan)
  return c, has(div, "mw-th")
end

local function make_table(div)
  local caption = {}
  local rows = {}
  local width = 1
  for _, block in ipairs(div.content) do
    if block.t == "Div" and has(block, "mw-caption") then
      caption = block.content
    elseif block.t == "Div" and has(block, "mw-row") then
      local cells, all_header, columns = {}, true, 0
      for _, inner in ipairs(block.content) do
        if inner.t == "Div" and has(inner, "mw-cell") then
          local c, header = make_cell(inner)
          table.insert(cells, c)
          all_header = all_header and header
          columns = columns + c.col_span
        end
      end
      if #cells > 0 then
        table.insert(rows, { row = pandoc.Row(cells), header = all_header })
        if columns > width then width = columns end
      end
    end
  end
  local head_rows, body_rows = {}, {}
  for _, r in ipairs(rows) do
    if r.header and #body_rows == 0 then
      table.insert(head_rows, r.row)
    else
      table.insert(body_rows, r.row)
    end
  end
  local colspecs = {}
  for _ = 1, width do
    table.insert(colspecs, { pandoc.AlignDefault, nil })
  end
  local body = { attr = pandoc.Attr(), body = body_rows, head = {}, row_head_columns = 0 }
  local cap = pandoc.Caption(#caption > 0 and { pandoc.Plain(pandoc.utils.blocks_to_inlines(caption)) } or {})
  return pandoc.Table(cap, colspecs, pandoc.TableHead(head_rows), { body }, pandoc.TableFoot(),
    pandoc.Attr("", { "mw-table" }))
end

local function math_spans(display)
  return {
    Span = function(span)
      if has(span, "math-tex") then
        local kind = display and "DisplayMath" or "InlineMath"
        return pandoc.Math(kind, pandoc.utils.stringify(span))
      end
    end,
  }
end

local print_notes = FORMAT:match("html") and not FORMAT:match("epub")

return {
  {
    Meta = function(meta)
      if meta["print-notes"] then
        print_notes = true
      end
    end,
  },
  {
    Div = function(div)
      if has(div, "math-display") then
        return pandoc.walk_block(div, math_spans(true))
      end
    end,
  },
  math_spans(false),
  { CodeBlock = code_with_languages },
  {
    Note = function(note)
      if print_notes then
        return pandoc.Span(pandoc.utils.blocks_to_inlines(note.content), pandoc.Attr("", { "footnote" }))
      end
    end,
  },
  {
    Div = function(div)
      if has(div, "mw-table") then
        return make_table(div)
      end
    end,
  },
}
