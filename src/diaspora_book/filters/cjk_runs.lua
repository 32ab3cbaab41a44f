--[[
Chinese, Japanese and Korean words the converter could not tag get their language.

The converter tags every run of another script in the articles (chapters/), but
some text is written after it: citeproc's citations and References (a Japanese
title), the contents and the attribution appendix. Untagged, such a run takes the
book's fonts in their fallback order, which draws Japanese with Chinese glyphs, and
in italics (a title) WeasyPrint shears them: no CJK face has an italic. This filter
runs after citeproc and gives each untagged word with Han, kana or Hangul a span
with its language: Korean with Hangul; Japanese with kana, or Han in a paragraph
that has kana; otherwise Chinese (zh, the default `languages:` map's Han). Runs already inside a `lang` span are left alone, and so is a book
written in Chinese, Japanese or Korean, whose own text these runs are.
--]]

local han_language = "zh"

local function scripts(text)
  local kana, han, hangul = false, false, false
  for _, c in utf8.codes(text, true) do
    if (c >= 0x3040 and c <= 0x30FF) or (c >= 0x31F0 and c <= 0x31FF) or (c >= 0xFF66 and c <= 0xFF9F) then
      kana = true
    elseif (c >= 0xAC00 and c <= 0xD7AF) or (c >= 0x1100 and c <= 0x11FF) or (c >= 0x3130 and c <= 0x318F) then
      hangul = true
    elseif (c >= 0x3400 and c <= 0x9FFF) or (c >= 0xF900 and c <= 0xFAFF) or (c >= 0x20000 and c <= 0x3FFFF) then
      han = true
    elseif (c >= 0x3000 and c <= 0x303F) or (c >= 0xFF00 and c <= 0xFFEF) then
      han = true -- CJK punctuation and full-width forms (「」、。（）) go with the text
    end
  end
  return kana, han, hangul
end

-- The first bytes of every character `scripts` looks for, in UTF-8 (U+1000-U+1FFF,
-- U+3000-U+DFFF, U+F000-U+FFFF, U+10000-U+3FFFF): a block without one of them has
-- nothing to tag, and most blocks of most books have none. This test is a byte
-- search; the walk below is what costs.
local candidate_bytes = "[\225\227-\237\239\240]"

local function tag_block(block)
  local text = pandoc.utils.stringify(block)
  if not text:find(candidate_bytes) then
    return block
  end
  local passage_kana = scripts(text)
  return block:walk({
    traverse = "topdown",
    Span = function(span)
      if span.attributes.lang then
        return span, false
      end
    end,
    Str = function(str)
      local kana, han, hangul = scripts(str.text)
      if not (kana or han or hangul) then
        return nil
      end
      local lang = han_language
      if hangul then
        lang = "ko"
      elseif kana or passage_kana then
        lang = "ja"
      end
      return pandoc.Span({ str }, { lang = lang }), false
    end,
  })
end

function Pandoc(doc)
  local book = pandoc.utils.stringify(doc.meta.lang or "")
  if book:match("^zh") or book:match("^ja") or book:match("^ko") then
    return nil
  end
  return doc:walk({
    traverse = "topdown",
    Span = function(span)
      if span.attributes.lang then
        return span, false
      end
    end,
    Para = function(block)
      return tag_block(block), false
    end,
    Plain = function(block)
      return tag_block(block), false
    end,
    Header = function(block)
      return tag_block(block), false
    end,
    DefinitionList = function(block) -- its terms are inlines, not paragraphs
      return tag_block(block), false
    end,
    LineBlock = function(block)
      return tag_block(block), false
    end,
  })
end
