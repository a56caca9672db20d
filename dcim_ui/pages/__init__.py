"""The app's pages: one module per page, each defining ``PAGE = PageSpec(...)``.

Streamlit runs the module's file as the page; the module calls its
``render()`` under ``if __name__ == "__main__":`` so that importing it (to
read ``PAGE``) draws nothing. The page's title is ``ui.pages.<key>``.
"""
