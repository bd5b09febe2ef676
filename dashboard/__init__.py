"""The dashboard's Streamlit side, one job per module (the engine, `ntm/`, never imports Streamlit):

    session   the database connection, the data fingerprint that keys every cache, clearing the caches
    queries   cached reads of the engine (options, names, scopes, summaries, series) on plain arguments
    map_data  the map's cached boundaries, figures, labelled view and deck
    url       the view state in the URL (read, write, update) and the current language
    sidebar   the filters, bound to the URL
    frame     the pages declared once (`st.navigation`), each page's header, notices and section tabs
    charts    registered charts drawn with their titles, context and PNG export
    markdown  text from data made literal, and tables of figures
    style     the fixed style block (Streamlit's own widget texts in the reader's language)
    uploads   the analysts' page's parts: sign-in, validation reports, cached checks of a file, previews

A year chosen in the sidebar goes `sidebar.on_filter` → `url.update_state` (the URL) → `url.read_state`
(the frame's run) → a page → `queries` / `map_data` → `ntm.read` (the SQL)."""
