package dev.netpoll.servlet;

import jakarta.servlet.Registration;
import jakarta.servlet.ServletContext;
import java.util.Enumeration;
import java.util.Map;
import java.util.Set;

/**
 * What a servlet and a filter registration share: the name, the class, the context and the init
 * parameters (which are also what {@code ServletConfig} and {@code FilterConfig} expose).
 * Written while the context initializes, read-only afterwards.
 */
abstract sealed class RegistrationEntry implements Registration.Dynamic permits ServletEntry, FilterEntry {

    final String name;
    final NetpollServletContext context;
    private final Class<?> type;
    private final InitParameters initParameters;

    RegistrationEntry(String name, Class<?> type, NetpollServletContext context) {
        this.name = name;
        this.type = type;
        this.context = context;
        this.initParameters = new InitParameters(context);
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getClassName() {
        return type.getName();
    }

    public ServletContext getServletContext() {
        return context;
    }

    @Override
    public boolean setInitParameter(String key, String value) {
        return initParameters.set(key, value);
    }

    @Override
    public String getInitParameter(String key) {
        return initParameters.get(key);
    }

    public Enumeration<String> getInitParameterNames() {
        return initParameters.names();
    }

    @Override
    public Set<String> setInitParameters(Map<String, String> parameters) {
        return initParameters.setAll(parameters);
    }

    @Override
    public Map<String, String> getInitParameters() {
        return initParameters.asMap();
    }
}
