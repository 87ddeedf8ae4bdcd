package io.flowmate.workflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The ids a BPMN, DMN or form resource defines (processes, decisions, decision graphs, forms), read
 * without deploying it: the engine keys every one of them globally, so a resource that reuses one
 * of Flowmate's ids or another tenant's would replace it.
 */
final class ResourceIds {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ResourceIds() {}

  /**
   * @throws IllegalArgumentException if the resource cannot be read
   */
  static Set<String> of(String name, byte[] content) {
    if (name.endsWith(".form")) {
      try {
        JsonNode id = JSON.readTree(content).get("id");
        return id == null || !id.isTextual() ? Set.of() : Set.of(id.asText());
      } catch (IOException e) {
        throw new IllegalArgumentException("'%s' is not a form (JSON)".formatted(name), e);
      }
    }
    Document document = parse(name, content);
    Set<String> ids = new HashSet<>();
    collect(document.getElementsByTagNameNS("*", "process"), ids);
    collect(document.getElementsByTagNameNS("*", "decision"), ids);
    Element root = document.getDocumentElement();
    String namespace = root.getNamespaceURI();
    if (namespace != null && namespace.toUpperCase().contains("DMN") && root.hasAttribute("id")) {
      ids.add(root.getAttribute("id"));
    }
    return ids;
  }

  private static void collect(NodeList elements, Set<String> ids) {
    for (int i = 0; i < elements.getLength(); i++) {
      Element element = (Element) elements.item(i);
      if (element.hasAttribute("id")) {
        ids.add(element.getAttribute("id"));
      }
    }
  }

  /** Parses untrusted XML: no DTDs, no external entities. */
  private static Document parse(String name, byte[] content) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setXIncludeAware(false);
      factory.setExpandEntityReferences(false);
      return factory.newDocumentBuilder().parse(new ByteArrayInputStream(content));
    } catch (ParserConfigurationException | SAXException | IOException e) {
      throw new IllegalArgumentException(
          "'%s' is not a BPMN or DMN model (XML)".formatted(name), e);
    }
  }
}
