"""Officer pages of the data half: the "Personal data" panel's actions and disclosure."""
