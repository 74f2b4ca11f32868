target_sources(loadgate PRIVATE)
