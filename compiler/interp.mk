# compiler/ reference side: view parser, interpreter, packet builder
