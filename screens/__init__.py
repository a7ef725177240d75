"""The Textual app: screens, dialogs, widgets and styles. Imports `workshop`, never the reverse."""
