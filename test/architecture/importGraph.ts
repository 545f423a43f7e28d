/**
 * The import graph of the sources, read from the files themselves (TypeScript's parser, no type checking): every
 * `import … from`, `export … from`, `import("…")` and `import("…")` type, with its line, and where a relative
 * specifier resolves to. Used by boundary.test.ts.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import ts from "typescript"

export interface ImportRef {
  /** Absolute path of the importing file. */
  readonly file: string
  /** 1-based line of the specifier. */
  readonly line: number
  readonly specifier: string
  /** "static": import/export declaration; "dynamic": an `import()` call; "type": an `import("…")` type. */
  readonly form: "static" | "dynamic" | "type"
  /** `import type`, `export type`, or an `import("…")` type: erased, no edge at run time. */
  readonly typeOnly: boolean
  /** The absolute path a relative specifier names; undefined for a package or `node:` module. */
  readonly resolved: string | undefined
  /** The names taken from the module (as it exports them; "default" for a default import), or "*": all of them. */
  readonly names: ReadonlyArray<string> | "*"
}

/** Every .ts file under `dir`, recursively (node_modules and dot-folders skipped). */
export const tsFiles = (dir: string): ReadonlyArray<string> => {
  const out: Array<string> = []
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === "node_modules" || e.name.startsWith(".")) continue
      const p = path.join(d, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.name.endsWith(".ts")) out.push(p)
    }
  }
  if (fs.existsSync(dir)) walk(dir)
  return out.sort()
}

/**
 * `import type …` / `export type …`: erased. Not `import { type A }`, which verbatimModuleSyntax keeps as
 * `import {} from`, so the module still loads.
 */
const isTypeOnlyDeclaration = (node: ts.ImportDeclaration | ts.ExportDeclaration): boolean =>
  ts.isExportDeclaration(node) ? node.isTypeOnly : node.importClause?.isTypeOnly === true

const namesOf = (node: ts.ImportDeclaration | ts.ExportDeclaration): ImportRef["names"] => {
  if (ts.isExportDeclaration(node)) {
    const clause = node.exportClause
    return clause !== undefined && ts.isNamedExports(clause) ? clause.elements.map((e) => (e.propertyName ?? e.name).text) : "*"
  }
  const clause = node.importClause
  if (clause === undefined) return []
  const bindings = clause.namedBindings
  if (bindings !== undefined && ts.isNamespaceImport(bindings)) return "*"
  return [...(clause.name === undefined ? [] : ["default"]), ...(bindings === undefined ? [] : bindings.elements.map((e) => (e.propertyName ?? e.name).text))]
}

/** The names a file exports; `valuesOnly`: leave out types (`export type`, `type X` in a list, interfaces, aliases). */
export const exportedNames = (file: string, valuesOnly = false): ReadonlyArray<string> => {
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const names: Array<string> = []
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement) && statement.exportClause !== undefined && ts.isNamedExports(statement.exportClause)) {
      if (valuesOnly && statement.isTypeOnly) continue
      names.push(...statement.exportClause.elements.filter((e) => !(valuesOnly && e.isTypeOnly)).map((e) => e.name.text))
    } else if (valuesOnly && (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement))) continue
    if (ts.isExportDeclaration(statement)) continue
    if (ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      if (ts.isVariableStatement(statement))
        names.push(...statement.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : [])))
      else if ("name" in statement && statement.name !== undefined && ts.isIdentifier(statement.name as ts.Node)) names.push((statement.name as ts.Identifier).text)
    }
  }
  return names.sort()
}

/** The imports of one file. A dynamic `import()` whose argument is not a string literal has specifier "<computed>". */
export const importsOf = (file: string): ReadonlyArray<ImportRef> => {
  const text = fs.readFileSync(file, "utf8")
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const refs: Array<ImportRef> = []
  const add = (at: ts.Node, specifier: string, form: ImportRef["form"], typeOnly: boolean, names: ImportRef["names"] = "*") =>
    refs.push({
      file,
      line: source.getLineAndCharacterOfPosition(at.getStart(source)).line + 1,
      specifier,
      form,
      typeOnly,
      resolved: specifier.startsWith(".") ? path.resolve(path.dirname(file), specifier) : undefined,
      names
    })
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier))
      add(node.moduleSpecifier, node.moduleSpecifier.text, "static", isTypeOnlyDeclaration(node), namesOf(node))
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0]
      add(node, arg !== undefined && ts.isStringLiteralLike(arg) ? arg.text : "<computed>", "dynamic", false)
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal))
      add(node, node.argument.literal.text, "type", true)
    ts.forEachChild(node, visit)
  }
  visit(source)
  return refs
}

export interface Cycle {
  /** One cycle, as a path that starts and ends at the same file. */
  readonly path: ReadonlyArray<string>
  /** Every file of its strongly connected component (each reaches each other), sorted. */
  readonly component: ReadonlyArray<string>
}

/**
 * The cycles of a graph (file → the files it imports): one per strongly connected component with more than one
 * file (or a file importing itself), with a shortest cycle through its first file. Tarjan's algorithm.
 */
export const findCycles = (graph: ReadonlyMap<string, ReadonlySet<string>>): ReadonlyArray<Cycle> => {
  let counter = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: Array<string> = []
  const onStack = new Set<string>()
  const components: Array<ReadonlyArray<string>> = []
  const connect = (v: string) => {
    index.set(v, counter)
    low.set(v, counter)
    counter++
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue
      if (!index.has(w)) {
        connect(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!))
    }
    if (low.get(v) === index.get(v)) {
      const component: Array<string> = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        component.push(w)
      } while (w !== v)
      if (component.length > 1 || graph.get(v)?.has(v)) components.push(component)
    }
  }
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) connect(v)
  return components.map((component) => ({ path: shortestCycle(graph, component), component: [...component].sort() }))
}

/** A shortest cycle through the component's first file (breadth-first inside the component). */
const shortestCycle = (graph: ReadonlyMap<string, ReadonlySet<string>>, component: ReadonlyArray<string>): ReadonlyArray<string> => {
  const members = new Set(component)
  const start = [...component].sort()[0]!
  const previous = new Map<string, string>()
  const queue = [start]
  while (queue.length > 0) {
    const v = queue.shift()!
    for (const w of [...(graph.get(v) ?? [])].sort()) {
      if (!members.has(w)) continue
      if (w === start) {
        const cycle = [start]
        for (let at: string | undefined = v; at !== undefined && at !== start; at = previous.get(at)) cycle.splice(1, 0, at)
        return [...cycle, start]
      }
      if (!previous.has(w)) {
        previous.set(w, v)
        queue.push(w)
      }
    }
  }
  return [start, start]
}
