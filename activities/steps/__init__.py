"""The built-in step types, one module each (and the event sinks ``publish_event``
delivers to), written on the public SDK (``activities.sdk``) as a plugin's would be."""
