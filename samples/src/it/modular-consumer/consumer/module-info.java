/** A modular application using the libraries from the module path (ModulePathIT compiles and runs it). */
module consumer {
    requires io.github.reactivepubsub.mmap;
    requires io.github.reactivepubsub.redis;
    requires io.github.reactivepubsub.tcp;
}
