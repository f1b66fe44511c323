-- Drives Neovim's own LSP client against `hypelint lsp`, headless (tests/test_neovim.py).
-- Works on Neovim 0.7 (Debian 12) through 0.11+: only APIs all of them have.
-- Env: HYPELINT_CMD (JSON list), HYPELINT_PAGE (file to open), HYPELINT_RESULT (JSON out).
local result = { steps = {} }
local function note(key, value) result[key] = value; table.insert(result.steps, key) end
local function finish()
  local file = io.open(os.getenv("HYPELINT_RESULT"), "w")
  file:write(vim.fn.json_encode(result))
  file:close()
  vim.cmd("qall!")
end

local ok, err = pcall(function()
  local cmd = vim.fn.json_decode(os.getenv("HYPELINT_CMD"))
  local page = os.getenv("HYPELINT_PAGE")
  vim.cmd("edit " .. vim.fn.fnameescape(page))
  local buf = vim.api.nvim_get_current_buf()
  local root = vim.fn.fnamemodify(page, ":h")
  local client_id = vim.lsp.start_client({ name = "hypelint", cmd = cmd, root_dir = root })
  vim.lsp.buf_attach_client(buf, client_id)
  note("version", tostring(vim.version().major) .. "." .. tostring(vim.version().minor))

  local function messages()
    local found = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do table.insert(found, d.message) end
    table.sort(found)
    return found
  end
  local function wait_for(predicate)
    vim.wait(20000, function() return predicate(messages()) end, 50)
    return messages()
  end

  -- 1. diagnostics arrive
  note("opened", wait_for(function(m) return #m >= 1 end))
  -- 2. an edit updates them
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, { "It cures and has no side effects." })
  note("edited", wait_for(function(m) return #m >= 2 end))
  -- 3. the config quick fix, chosen from Neovim's own code action menu, takes effect
  local titles = {}
  vim.ui.select = function(items, opts, on_choice)
    for index, item in ipairs(items) do
      local title = opts.format_item and opts.format_item(item) or tostring(item)
      table.insert(titles, title)
      if title:find("in .hypelint.yaml", 1, true) and title:find("XX101", 1, true) then
        return on_choice(item, index)
      end
    end
    on_choice(nil, nil)
  end
  vim.api.nvim_win_set_cursor(0, { 1, 4 })
  vim.lsp.buf.code_action()
  note("fixed", wait_for(function(m) return #m == 1 end))
  note("titles", titles)
end)
if not ok then note("error", tostring(err)) end
finish()
