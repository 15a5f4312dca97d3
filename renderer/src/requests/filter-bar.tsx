/**
 * The filter bar: one line of filter words (the same words `meshdesk tap` takes), applied as the
 * user types (after a short pause) or on Enter, with each word it could not use named below it;
 * and saved filters, kept in localStorage.
 */
import { useEffect, useState } from 'react';
import { deleteFilter, loadSavedFilters, saveFilter, type SavedFilter } from './saved-filters.js';

const APPLY_AFTER_MS = 400;

interface FilterBarProps {
  /** The words in force (from the address, a saved filter, or typed). */
  words: string;
  errors: readonly string[];
  onApply: (words: string) => void;
}

export function FilterBar({ words, errors, onApply }: FilterBarProps) {
  const [draft, setDraft] = useState(words);
  const [saved, setSaved] = useState<SavedFilter[]>(() => loadSavedFilters(window.localStorage));
  const [naming, setNaming] = useState<string | null>(null);

  // The words in force changed from outside (navigation, a saved filter): show them.
  useEffect(() => setDraft(words), [words]);

  useEffect(() => {
    if (draft === words) return;
    const timer = setTimeout(() => onApply(draft), APPLY_AFTER_MS);
    return () => clearTimeout(timer);
  }, [draft, words, onApply]);

  const chosen = saved.find((filter) => filter.words === words.trim())?.name ?? '';

  return (
    <div className="filter-bar" data-testid="filter-bar">
      <form
        className="filter-form"
        onSubmit={(event) => {
          event.preventDefault();
          onApply(draft);
        }}
      >
        <input
          type="search"
          className="filter-words"
          aria-label="Filter words"
          data-testid="filter-words"
          placeholder="service=world status=5xx method=GET path~/api min=200ms errors header:x-id=7 text"
          value={draft}
          spellCheck={false}
          onChange={(event) => setDraft(event.target.value)}
        />
        <select
          aria-label="Saved filters"
          data-testid="saved-filters"
          value={chosen}
          onChange={(event) => {
            const filter = saved.find((candidate) => candidate.name === event.target.value);
            if (filter) onApply(filter.words);
          }}
        >
          <option value="">Saved filters…</option>
          {saved.map((filter) => (
            <option key={filter.name} value={filter.name}>
              {filter.name}
            </option>
          ))}
        </select>
        {naming === null ? (
          <button type="button" onClick={() => setNaming('')} disabled={!draft.trim()}>
            Save filter
          </button>
        ) : (
          <span className="filter-naming">
            <input aria-label="Filter name" autoFocus value={naming} onChange={(event) => setNaming(event.target.value)} />
            <button
              type="button"
              disabled={!naming.trim()}
              onClick={() => {
                setSaved(saveFilter(window.localStorage, { name: naming, words: draft }));
                onApply(draft);
                setNaming(null);
              }}
            >
              Save
            </button>
            <button type="button" onClick={() => setNaming(null)}>
              Cancel
            </button>
          </span>
        )}
        {chosen && (
          <button type="button" onClick={() => setSaved(deleteFilter(window.localStorage, chosen))}>
            Delete “{chosen}”
          </button>
        )}
      </form>
      {errors.length > 0 && (
        <ul className="filter-errors" role="alert" data-testid="filter-errors">
          {errors.map((error) => (
            <li key={error}>{error}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
