"""The Qt-free domain: vocabulary, tags, search, services, review scheduling and summaries."""
