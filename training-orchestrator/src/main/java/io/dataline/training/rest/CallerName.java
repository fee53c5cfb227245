package io.dataline.training.rest;

import jakarta.enterprise.context.RequestScoped;

/** The name of the API key that made the current request (set by {@link ApiKeyFilter}). */
@RequestScoped
public class CallerName {

    private String name = "unknown";

    void set(String name) {
        this.name = name;
    }

    public String get() {
        return name;
    }
}
