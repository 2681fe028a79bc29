# compiler/ back half: emitter, codegen, hook ops, disassembler
