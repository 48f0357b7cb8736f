-- ./soi query: the only folders the session may still read once external access is off (the tables' files).
SET allowed_directories = [${directories}]
