import { loadSqlParser } from '../src/sql/parse.js'
const mb = () => Math.round(process.memoryUsage().rss / 1048576)
const p = await loadSqlParser()
console.log('parser loaded rss', mb())
for (let k = 0; k < 5; k++) {
for (let i = 0; i < 1000; i++) p.parse(`CREATE TABLE t${k}_${i} (id bigserial PRIMARY KEY, title text NOT NULL, embedding vector(3));\nCREATE INDEX t${i}_e ON t${i} USING hnsw (embedding vector_l2_ops);`)
console.log((k+1)*1000, 'parsed rss', mb(), 'heap', Math.round(process.memoryUsage().heapUsed / 1048576))
}
for (let k = 0; k < 3; k++) { for (let i = 0; i < 1000; i++) p.scan(`CREATE TABLE t${k}_${i} (id bigserial PRIMARY KEY, title text NOT NULL, embedding vector(3)) PASSWORD;`); console.log('scanned', mb()) }
